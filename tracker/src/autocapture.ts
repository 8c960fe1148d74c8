import { EMAIL_PATTERN } from '../../shared/email';
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
  // One track() call for both kinds: a link that is neither gets no name, which track() ignores.
  track(
    captures('downloads') && (link.hasAttribute('download') || RegExp('\\.(' + options.downloads + ')$', 'i').test(link.pathname))
      ? EventName.fileDownloaded
      : // mailto:, tel: and javascript: links have no host and are not outbound.
        captures('outbound') && link.host && link.host != location.host && EventName.outboundClicked,
    { url: link.href },
  );
};

export const captureClicks = (): void => {
  listen('click', onClick);
  listen('auxclick', onClick);
};

/**
 * The email typed into a form, if any. Only a field that says it is an email (type, name or id)
 * and holds an email address by the backend's own rule (shared/email) qualifies; password and
 * hidden fields and anything marked data-leadscore-ignore are never read. No other value is ever
 * taken from a form.
 */
export const emailIn = (form: HTMLFormElement): string | undefined =>
  // One expression rather than a loop, so that it can be inlined.
  [...(form.elements as unknown as HTMLInputElement[])]
    .map((field) => !/password|hidden/.test(field.type) && !field.closest(IGNORE) && /mail/i.test(field.type + field.name + field.id) && field.value?.trim())
    .find((value) => EMAIL_PATTERN.test(value as string)) as string | undefined;

/** Form submissions; a form with an email identifies the visitor first. */
export const captureForms = (): void => {
  listen('submit', (event: SubmitEvent) => {
    const form = event.target as HTMLFormElement;
    if (form.closest(IGNORE)) return;
    // identify() ignores a missing email.
    identify(emailIn(form));
    // getAttribute: form.id and form.name can be shadowed by fields named "id" or "name".
    track(EventName.formSubmitted, { formId: form.getAttribute('id') || form.getAttribute('name') });
  });
};
