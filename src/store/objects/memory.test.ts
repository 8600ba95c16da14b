import { objectStoreContract } from './contract-test-support.ts';
import { openMemoryStore } from './memory.ts';

objectStoreContract('memory store', async (options) => {
  const store = openMemoryStore(options);
  return { store, cleanup: () => store.close() };
});
