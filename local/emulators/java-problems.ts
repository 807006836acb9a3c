export const JAVA_MISSING_MESSAGE =
  'Java 17+ is needed for DynamoDB Local: install it with `sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS), then start again.';

export const JAVA_COMPILER_MISSING_MESSAGE =
  'DynamoDB Local is started through a launcher compiled from Java source (so that it listens on 127.0.0.1 only), which needs the jdk.compiler module that this Java runtime leaves out: install `openjdk-17-jre-headless` (Debian/Ubuntu), `brew install openjdk@17` (macOS) or another full JDK 17+, then start again.';

/**
 * What the error output of a Java process that could not compile the launcher or start says of the Java
 * installed: older than 17 (a launcher without modules, a compiler without release 17, the jar's classes
 * refused), or without a compiler.
 */
export function javaProblemIn(stderr: string): string | undefined {
  if (/Module jdk\.compiler not found/.test(stderr)) return JAVA_COMPILER_MISSING_MESSAGE;
  if (/Unrecognized option: -m\b|release version 17 not supported|UnsupportedClassVersionError/.test(stderr)) {
    return JAVA_MISSING_MESSAGE;
  }
  return undefined;
}
