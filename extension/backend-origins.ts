/** The local backend of `npm start`: the manifest grants these, any other backend is asked for at runtime. */
export const LOCAL_BACKEND_MATCHES = ['http://localhost/*', 'http://127.0.0.1/*'];

/** The host permission pattern for a backend URL. Patterns carry no port: `http://localhost/*` covers every local port. */
export function originPattern(url: string): string {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${hostname}/*`;
}
