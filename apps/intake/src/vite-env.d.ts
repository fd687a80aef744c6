/// <reference types="vite/client" />

interface ImportMetaEnv {
  /**
   * The organisation root key's fingerprint (six groups of five digits), pinned at build time.
   * When set, the page refuses any other root (docs/intake.md, "Pinning").
   */
  readonly VITE_HAVEN_ROOT_FINGERPRINT?: string;
}
