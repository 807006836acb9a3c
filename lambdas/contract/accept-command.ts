/** The command a recipient runs to accept an encoded invitation, as the e-mail and the CLI both print it. */
export { acceptCommand } from '../domain/delivery';
