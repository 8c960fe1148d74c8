import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { adapterFor } from '../adapters/registry';
import { ask } from '../ask';
import { handleContentMessage } from '../content/handle-message';
import { BadgePage } from '../content/page';
import { SITE_MATCHES } from '../sites';

export default defineContentScript({
  matches: SITE_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    const adapter = adapterFor(location);
    if (!adapter) return;
    const page = new BadgePage(adapter, {
      lookup: (keys) => ask({ type: 'lookup', keys }),
      openTagger: (leadId) => void ask({ type: 'openTagger', leadId }).catch(() => {}),
    });
    page.start();
    const onMessage = (message: unknown, sender: { id?: string }, sendResponse: (answer: unknown) => void) => {
      const answer = handleContentMessage(page, message, sender, browser.runtime.id, location, adapter.name);
      if (answer) sendResponse(answer);
      return false;
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => {
      browser.runtime.onMessage.removeListener(onMessage);
      page.stop();
    });
  },
});
