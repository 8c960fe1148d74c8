import { OPERATIONS, type Operation } from './operations';

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const AUTH: Record<Operation['security'], string> = {
  bearer: 'Bearer token (rep or admin)',
  admin: 'Bearer token, admin',
  writeKey: 'Basic auth: site key as user name',
  signed: 'Signed link',
  none: 'None',
};

function section(op: Operation): string {
  const params = op.params?.length
    ? `<table><tr><th>Parameter</th><th>In</th><th>Description</th></tr>${op.params
        .map((p) => `<tr><td><code>${escape(p.name)}</code>${p.required ? ' *' : ''}</td><td>${p.in}</td><td>${escape(p.description)}</td></tr>`)
        .join('')}</table>`
    : '';
  const body = op.body ? `<p>Body (<code>${op.body.contentType}</code>):</p><pre>${escape(JSON.stringify(op.body.example, null, 2))}</pre>` : '';
  const errors = op.errors.length ? `<p>Errors: ${op.errors.join(', ')} (ApiError)</p>` : '';
  const anchor = `${op.method}-${op.path.replace(/[^a-z0-9]+/gi, '-')}`;
  return `<section id="${anchor}"><h3><span class="m ${op.method}">${op.method.toUpperCase()}</span> <code>${escape(op.path)}</code></h3>
<p><strong>${escape(op.summary)}.</strong> ${escape(op.description)}</p>
<p>Auth: ${AUTH[op.security]}. Success: ${op.response.status} ${escape(op.response.description)}</p>
${params}${body}${errors}<pre class="ex">${escape(op.example)}</pre></section>`;
}

/** A readable page of the API, generated from the same operations as /openapi.json; no scripts, no CDN. */
export function docsPage(): string {
  const tags = [...new Set(OPERATIONS.map((op) => op.tag))];
  const toc = OPERATIONS.map((op) => `<li><a href="#${op.method}-${op.path.replace(/[^a-z0-9]+/gi, '-')}">${op.method.toUpperCase()} ${escape(op.path)}</a></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>leadscore API</title><style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
pre{background:#f4f5f7;padding:.75rem;overflow:auto;border-radius:6px}pre.ex{background:#10151c;color:#e6edf3}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
.m{font:600 12px monospace;padding:.1rem .4rem;border-radius:4px;color:#fff;background:#57606a}.get{background:#0969da}.post{background:#1a7f37}
.put,.patch{background:#9a6700}.delete{background:#cf222e}section{border-top:1px solid #d0d7de;margin-top:1.5rem}
</style></head><body><h1>leadscore API</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Every 4xx answer is JSON <code>{ "error": "machine_reason", "message": "...", "issues": [{ "path": [...], "message": "..." }] }</code>.
In the examples, <code>$BASE</code> is this server, <code>$TOKEN</code> a token from <code>npm run leadscore -- token create</code>, <code>$SITE_KEY</code> a site key.</p>
<ul>${toc}</ul>${tags.map((tag) => `<h2>${escape(tag)}</h2>${OPERATIONS.filter((op) => op.tag === tag).map(section).join('')}`).join('')}
</body></html>`;
}
