import { safe } from './listen';
import { start } from './start';

// document.currentScript exists only while this script first runs, so it is read right away.
safe(start)(document.currentScript as HTMLScriptElement);
