/** Per-app values written once (official table `key_value`), such as the refresh-token key. */
export interface KeyValueStorage {
  /**
   * The app's value under `name`, stored from `create` on first use and never changed;
   * concurrent first uses all get the one value that was stored.
   */
  getOrCreateAppValue(appId: string, name: string, create: () => string): Promise<string>;
}
