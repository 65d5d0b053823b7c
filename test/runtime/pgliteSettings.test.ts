import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/store/database';

/**
 * PGlite's own settings: shared_buffers as configured, and a new data folder created by one
 * instance and served by another (so the memory the creation took is given back), with its data
 * and migrations there on every later open.
 */
describe('PGlite data folder', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-pglite-settings-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('a new folder is created, then served with the shared_buffers asked for; reopened, it keeps its rows', async () => {
    const first = await openDatabase({ dataDir, pgliteSharedBuffersMb: 24 });
    try {
      expect(fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
      const [{ shared_buffers }] = await first.prisma.$queryRawUnsafe<{ shared_buffers: string }[]>('SHOW shared_buffers');
      expect(shared_buffers).toBe('24MB');
      await first.prisma.realm.create({ data: { name: 'kept' } });
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir });
    try {
      const [{ shared_buffers }] = await again.prisma.$queryRawUnsafe<{ shared_buffers: string }[]>('SHOW shared_buffers');
      expect(shared_buffers).toBe('16MB');
      expect(await again.prisma.realm.findMany({ select: { name: true } })).toEqual([{ name: 'kept' }]);
    } finally {
      await again.close();
    }
  });
});
