import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { messageOf } from './api';

/**
 * A component loaded on first use (its own chunk), so pages most visits never open (the model
 * editor, import, learning) stay out of the first load. Vite splits at the dynamic import().
 */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [error, setError] = useState('');
    useEffect(() => {
      if (loaded) return;
      load().then(
        (component) => setComponent(() => (loaded = component)),
        (failure) => setError(`This part of the console could not be loaded (${messageOf(failure)}). Reload the page to try again.`),
      );
    }, []);
    if (error) return <p role="alert" class="error">{error}</p>;
    return Component ? <Component {...props} /> : <p aria-busy="true">Loading…</p>;
  };
}
