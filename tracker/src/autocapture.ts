import { EventName } from '../../shared/schemas/event-names';
import { captures, options } from './config';
import { identify, track } from './events';
import { listen } from './listen';

const IGNORE = '[data-leadscore-ignore]';

/** A left or middle click on a link: a file download, or a link to another site. */
const onClick = (event: MouseEvent): void => {
  // The link's own URL parts (host, pathname) are already resolved against the page.
  const link = (event.target as Element).closest('a');
  if (event.button > 1 || !link || link.closest(IGNORE)) return;
  if (captures('downloads') && (link.hasAttribute('download') || RegExp('\\.(' + options.downloads + ')$', 'i').test(link.pathname))) {
    track(EventName.fileDownloaded, { url: link.href });
  } else if (captures('outbound') && link.host && link.host != location.host) {
    // mailto:, tel: and javascript: links have no host and are not outbound.
    track(EventName.outboundClicked, { url: link.href });
  }
};

export const captureClicks = (): void => {
  listen('click', onClick);
  listen('auxclick', onClick);
};

/**
 * The email typed into a form, if any. Only a field that says it is an email (type, name or id)
 * and holds an email-shaped value qualifies; password and hidden fields and anything marked
 * data-leadscore-ignore are never read. No other value is ever taken from a form.
 */
export const emailIn = (form: HTMLFormElement): string | undefined => {
  for (const field of form.elements as unknown as HTMLInputElement[]) {
    const value = field.value?.trim();
    if (
      !/password|hidden/.test(field.type) &&
      !field.closest(IGNORE) &&
      /mail/i.test(field.type + field.name + field.id) &&
      /^\S+@\S+\.\S+$/.test(value)
    ) {
      return value;
    }
  }
};

/** Form submissions; a form with an email identifies the visitor first. */
export const captureForms = (): void => {
  listen('submit', (event: SubmitEvent) => {
    const form = event.target as HTMLFormElement;
    if (form.closest(IGNORE)) return;
    const email = emailIn(form);
    if (email) identify(email);
    // getAttribute: form.id and form.name can be shadowed by fields named "id" or "name".
    track(EventName.formSubmitted, { formId: form.getAttribute('id') || form.getAttribute('name') });
  });
};
