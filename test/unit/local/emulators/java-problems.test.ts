import {
  JAVA_COMPILER_MISSING_MESSAGE,
  JAVA_MISSING_MESSAGE,
  javaProblemIn,
} from '../../../../local/emulators/java-problems';

describe('what a failed compile of the launcher or start of DynamoDB Local says of the Java installed', () => {
  test.each([
    [
      'Java 11 to 16, whose compiler has no release 17',
      'error: release version 17 not supported\nUsage: javac <options> <source files>',
    ],
    [
      'Java 8, whose launcher knows no modules',
      'Unrecognized option: -m\nError: Could not create the Java Virtual Machine.\nError: A fatal exception has occurred. Program will exit.',
    ],
    ['a runtime refusing the jar’s classes', 'Exception in thread "main" java.lang.UnsupportedClassVersionError: x'],
  ])('%s: Java 17+ is needed', (_, stderr) => {
    expect(javaProblemIn(stderr)).toBe(JAVA_MISSING_MESSAGE);
  });

  test('a runtime without jdk.compiler (a jlink-ed one): the compiler module is needed', () => {
    const stderr = [
      'Error occurred during initialization of boot layer',
      'java.lang.module.FindException: Module jdk.compiler not found',
    ].join('\n');
    expect(javaProblemIn(stderr)).toBe(JAVA_COMPILER_MISSING_MESSAGE);
  });

  test.each([
    ['a port taken meanwhile', 'Could not start server on port 4581: Address already in use'],
    [
      'a broken database folder',
      'Exception in thread "main" com.almworks.sqlite4java.SQLiteException: [14] unable to open',
    ],
  ])('%s: nothing about Java', (_, stderr) => {
    expect(javaProblemIn(stderr)).toBeUndefined();
  });
});
