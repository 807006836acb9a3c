import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailKind } from '../domain/delivery';
import type { MailTemplates } from '../ports/mail';

/**
 * The templates in `folder` (`<kind>.txt`), read afresh for every batch of mail, so an administrator's edit counts
 * from the next message on (the embedded stack reads the project's `templates/`; CDK bundles that folder, or the one
 * its `mailTemplates` context names, with the mailer).
 */
export const templatesIn =
  (folder: () => string): MailTemplates =>
  (kind: MailKind) =>
    readFile(join(folder(), `${kind}.txt`), 'utf8');
