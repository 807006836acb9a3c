import type * as Objects from '../../../lambdas/adapters/objects';
import type * as Queue from '../../../lambdas/adapters/job-queue';
import type { MemoryJobQueue } from './job-queue';
import type { MemoryObjectStore } from './object-store';

/**
 * The adapter modules some use cases import directly rather than through `Deps`, served by the in-memory ports
 * of the latest `memoryDeps()`. A unit test of such a use case maps each module here:
 * `jest.mock('<path>/lambdas/adapters/objects', () => jest.requireActual('<path>/test/support/memory/adapter-bridge').objects)`.
 */
let ports: { objects: MemoryObjectStore; jobQueue: MemoryJobQueue } | undefined;

export const serve = (served: NonNullable<typeof ports>): void => {
  ports = served;
};

const active = () => {
  if (!ports) throw new Error('No memoryDeps() made yet: the adapter modules have no in-memory port to serve');
  return ports;
};

const actualObjects = jest.requireActual<typeof Objects>('../../../lambdas/adapters/objects');

export const objects: typeof Objects = {
  ...actualObjects,
  objectInfo: (...args) => active().objects.objectInfo(...args),
  readObject: (...args) => active().objects.readObject(...args),
  deleteObject: (...args) => active().objects.deleteObject(...args),
  readObjectText: (...args) => active().objects.readObjectText(...args),
  writeObject: (...args) => active().objects.writeObject(...args),
  streamToObject: (...args) => active().objects.streamToObject(...args),
  presignUpload: (...args) => active().objects.presignUpload(...args),
  presignDownload: (...args) => active().objects.presignDownload(...args),
};

export const jobQueue: typeof Queue = {
  sendJobMessage: (...args) => active().jobQueue.sendJobMessage(...args),
};
