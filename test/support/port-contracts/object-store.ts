import { createHash } from 'node:crypto';
import { ObjectChanged, type ObjectStore } from '../../../lambdas/ports';
import { uniqueName } from './fixtures';

const MIB = 1024 * 1024;

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part));
  return Buffer.concat(parts).toString('utf8');
}

async function* linesOf(...lines: string[]) {
  yield* lines;
}

/** `count` numbered lines of 1 KiB. */
async function* numberedLines(count: number) {
  for (let n = 0; n < count; n++) yield `${String(n).padStart(1023, '0')}\n`;
}

/** The digest of what the stream holds: a 6 MiB comparison by `toEqual` takes a minute. */
async function md5Of(chunks: AsyncIterable<string | Uint8Array>): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

/** The object store's promises: what is written is read back, whole or streamed, and a pinned read holds to its ETag. */
export function objectStoreContract(make: () => Promise<ObjectStore>): void {
  let objects: ObjectStore;
  beforeAll(async () => {
    objects = await make();
  });

  describe('object store', () => {
    test('an object written is read back whole, streamed and described; a missing one is undefined', async () => {
      const key = `${uniqueName('contract/object')}.csv`;
      await objects.write(key, 'a,b\n1,2\n', 'text/csv');
      expect(await objects.readText(key)).toBe('a,b\n1,2\n');
      expect(await text(await objects.read(key))).toBe('a,b\n1,2\n');
      const info = (await objects.info(key))!;
      expect(info).toMatchObject({ size: 8, eTag: expect.stringMatching(/^".+"$/) });
      expect(await objects.info(`${key}.missing`)).toBeUndefined();
      expect(await objects.readText(`${key}.missing`)).toBeUndefined();
      await objects.delete(key);
      expect(await objects.info(key)).toBeUndefined();
    });

    test('a read pinned to what was described holds to it: once replaced, the object changed', async () => {
      const key = `${uniqueName('contract/pinned')}.csv`;
      await objects.write(key, 'first', 'text/csv');
      const pin = (await objects.info(key))!;
      expect(await text(await objects.read(key, pin))).toBe('first');
      await objects.write(key, 'second, longer', 'text/csv');
      expect((await objects.info(key))!.eTag).not.toBe(pin.eTag);
      await expect(objects.read(key, { eTag: pin.eTag, size: pin.size })).rejects.toBeInstanceOf(ObjectChanged);
    });

    test('streamed lines become one object; a second stream to the key replaces it', async () => {
      const key = `${uniqueName('contract/stream')}.ndjson`;
      await objects.writeStream(key, linesOf('{"n":1}\n', '{"n":2}\n'), 'application/x-ndjson');
      expect(await objects.readText(key)).toBe('{"n":1}\n{"n":2}\n');
      await objects.writeStream(key, linesOf(), 'application/x-ndjson');
      expect(await objects.readText(key)).toBe('');
    });

    test('a stream longer than an upload part (5 MiB) is read back as it was written', async () => {
      const key = `${uniqueName('contract/long')}.csv`;
      await objects.writeStream(key, numberedLines(6 * 1024), 'text/csv');
      expect((await objects.info(key))!.size).toBe(6 * MIB);
      expect(await md5Of(await objects.read(key))).toBe(await md5Of(numberedLines(6 * 1024)));
    });

    test('a missing object has no info and no text, its read fails as NoSuchKey, and deleting it is no error', async () => {
      const key = `${uniqueName('contract/missing')}.csv`;
      expect(await objects.info(key)).toBeUndefined();
      expect(await objects.readText(key)).toBeUndefined();
      await expect(objects.read(key)).rejects.toMatchObject({ name: 'NoSuchKey' });
      await objects.delete(key);
    });

    test('presigned links name the key', async () => {
      const key = `${uniqueName('contract/link')}.csv`;
      expect(await objects.presignUpload(key, 60)).toContain(key);
      expect(await objects.presignDownload(key, 60)).toContain(key);
    });
  });
}
