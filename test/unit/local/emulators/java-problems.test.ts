import {
  JAVA_COMPILER_MISSING_MESSAGE,
  JAVA_MISSING_MESSAGE,
  javaProblemIn,
} from '../../../../local/emulators/java-problems';

const LAUNCHER = '/srv/registry/local/DynamoDbLocalOnLoopback.java';

describe('what a failed start of DynamoDB Local says of the Java installed', () => {
  test.each([
    [
      'Java 11 to 16, whose compiler refuses the jar’s classes',
      `${LAUNCHER}:8: error: cannot access ServerRunner\nimport software.amazon.dynamodb.services.local.main.ServerRunner;\n  bad class file: /x/DynamoDBLocal.jar(/software/amazon/dynamodb/services/local/main/ServerRunner.class)\n    class file has wrong version 61.0, should be 55.0\nerror: compilation failed`,
    ],
    [
      'Java 8, whose launcher takes the source file for a class name',
      `Error: Could not find or load main class ${LAUNCHER}`,
    ],
    ['a runtime refusing the jar’s classes', 'Exception in thread "main" java.lang.UnsupportedClassVersionError: x'],
  ])('%s: Java 17+ is needed', (_, stderr) => {
    expect(javaProblemIn(stderr)).toBe(JAVA_MISSING_MESSAGE);
  });

  test('a runtime without jdk.compiler (a jlink-ed one): the compiler module is needed', () => {
    const stderr = [
      'Error: A JNI error has occurred, please check your installation and try again',
      'Exception in thread "main" java.lang.InternalError: Module jdk.compiler not in boot Layer',
      '\tat java.base/sun.launcher.LauncherHelper.loadModuleMainClass(LauncherHelper.java:749)',
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
