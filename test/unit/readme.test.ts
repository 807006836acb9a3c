import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { projectRoot } from '../../local/stack/paths';
import { ROUTES } from '../../lambdas/contract/routes';
import { buildProgram } from '../../cli/main';
import { sessionOpener } from '../../cli/session';

const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');

/** Every visible command path, e.g. `invitations revoke-device`, with the hidden seed alias left out. */
function commandPaths(command: Command, prefix: string[] = []): string[] {
  return command.commands
    .filter((sub) => !(sub as Command & { _hidden?: boolean })._hidden && sub.name() !== 'help')
    .flatMap((sub) => {
      const path = [...prefix, sub.name()];
      return sub.commands.length > 0 ? commandPaths(sub, path) : [path.join(' ')];
    });
}

describe('the README stays true to the code', () => {
  test.each(ROUTES.map((route) => `${route.method} ${route.path}`))('the API section lists %s', (route) => {
    expect(readme).toContain(`\`${route}\``);
  });

  const io = { stdout: () => true, stderr: () => true, env: {} };
  const paths = commandPaths(
    buildProgram(
      io,
      sessionOpener(io, () => undefined),
    ),
  );

  test('the CLI has commands to check', () => {
    expect(paths).toEqual(
      expect.arrayContaining(['invitations create-secure', 'devices validate', 'accept-invitation']),
    );
  });

  test.each(paths)('the CLI section lists `%s`', (path) => {
    expect(readme).toMatch(new RegExp(`\\| \`${path.replace(/[-]/g, '\\-')}[ \`]`));
  });
});
