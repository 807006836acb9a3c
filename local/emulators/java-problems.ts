export const JAVA_MISSING_MESSAGE =
  'Java 17+ is needed for DynamoDB Local: install it with `sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS), then start again.';

export const JAVA_COMPILER_MISSING_MESSAGE =
  'DynamoDB Local is started from a Java source file (so that it listens on 127.0.0.1 only), which needs the jdk.compiler module that this Java runtime leaves out: install `openjdk-17-jre-headless` (Debian/Ubuntu), `brew install openjdk@17` (macOS) or another full JDK 17+, then start again.';

/**
 * What the error output of a Java process that could not start says of the Java installed: older than 17
 * (the jar's classes refused, or a `java` launcher that cannot run a source file at all), or without a compiler.
 */
export function javaProblemIn(stderr: string): string | undefined {
  if (/Module jdk\.compiler not in boot Layer/.test(stderr)) return JAVA_COMPILER_MISSING_MESSAGE;
  if (
    /UnsupportedClassVersionError|class file has wrong version|Could not find or load main class \S+\.java/.test(stderr)
  ) {
    return JAVA_MISSING_MESSAGE;
  }
  return undefined;
}
