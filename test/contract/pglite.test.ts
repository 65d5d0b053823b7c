import { storageContract } from './storageContract';

describe('storage on embedded PGlite', () => storageContract('pglite'));
