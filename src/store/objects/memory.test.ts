import { sharingContract } from './contract-sharing-test-support.ts';
import { objectStoreContract, type StoreFactory } from './contract-test-support.ts';
import { openMemoryStore } from './memory.ts';

const factory: StoreFactory = async (options) => {
  const store = openMemoryStore(options);
  return { store, cleanup: () => store.close() };
};
objectStoreContract('memory store', factory);
sharingContract('memory store', factory);
