import { groupCommitContract } from './groupCommitContract';
import { storageContract } from './storageContract';

describe('storage on embedded PGlite', () => storageContract('pglite'));
describe('group commit on embedded PGlite', () => groupCommitContract('pglite'));
