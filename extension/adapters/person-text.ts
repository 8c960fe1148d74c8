// How mail clients write a person in their own UI: "alice@example.com", "<alice@example.com>",
// "Alice Example <alice@example.com>", optionally after a "From:"/"To:" label and as a
// ";"-separated list. Text in any other shape (a subject, a preview line, a sentence that happens
// to contain an address) is not a person, so a crafted subject such as "Hi bob@example.com" is
// never looked up. A lone "Name <address>" subject still matches: see docs/EXTENSION.md.

const ADDRESS = String.raw`[A-Z0-9._%+'-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}`;
const LABEL = /^\s*(?:from|to|cc|bcc|sender|sent by|on behalf of)\s*:\s*/i;
const NAMED = new RegExp(String.raw`^\s*(?:"[^"<>]{0,200}"|[^"<>@;]{0,200}?)\s*<(${ADDRESS})>\s*$`, 'i');
const BARE = new RegExp(String.raw`^\s*<?(${ADDRESS})>?\s*$`, 'i');
/** A name without an address, such as "Rep Ourco" in "To: Rep Ourco; Dan <dan@x.example>". */
const NAME_ONLY = /^[^<>@]{0,200}$/;

/** The addresses of the people this text names, lowercased; none unless every part is a person. */
export function addressesInPersonText(text: string | null | undefined): string[] {
  if (!text || !text.includes('@') || text.length > 2000) return [];
  const found: string[] = [];
  for (const part of text.replace(LABEL, '').split(';')) {
    const match = NAMED.exec(part) ?? BARE.exec(part);
    if (match) found.push(match[1]!.toLowerCase());
    else if (!NAME_ONLY.test(part)) return [];
  }
  return found;
}

/** An address alone (an attribute the client fills with one, such as a mailto link or a persona id). */
export function addressIn(value: string | null | undefined): string | null {
  const match = value ? new RegExp(ADDRESS, 'i').exec(value) : null;
  return match ? match[0].toLowerCase() : null;
}
