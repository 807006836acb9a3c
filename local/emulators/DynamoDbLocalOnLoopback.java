import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local, from its own command line arguments, listening on 127.0.0.1 only. It has no option for the
 * address and its Jetty connector would listen on every interface, so this sets the connector's host before the
 * server starts, then checks the address it is bound to and exits unless it is 127.0.0.1. Unlike DynamoDB
 * Local's own main class, this never sets up telemetry.
 *
 * Run from source: `java -cp DynamoDBLocal.jar DynamoDbLocalOnLoopback.java -port ...` (see dynamodb-local.ts).
 */
public final class DynamoDbLocalOnLoopback {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] args) throws Exception {
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
        Server jetty = jettyOf(proxy);
        Connector[] connectors = jetty.getConnectors();
        if (connectors.length == 0) refuse("DynamoDB Local's Jetty server has no connector to bind");
        for (Connector connector : connectors) {
            if (connector instanceof ServerConnector serverConnector) serverConnector.setHost(HOST);
            else refuse("DynamoDB Local's connector is a " + connector.getClass().getName() + ", whose host cannot be set");
        }
        // Prints why and stops the server when the port cannot be bound.
        proxy.start();
        if (!jetty.isStarted()) System.exit(1);
        for (Connector connector : connectors) {
            SocketAddress bound = ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
            if (!(bound instanceof InetSocketAddress address) || !HOST.equals(address.getAddress().getHostAddress())) {
                refuse("DynamoDB Local listens on " + bound + ", not on " + HOST + " only");
            }
        }
    }

    /** The Jetty server inside DynamoDB Local's proxy server, which keeps it in a private field. */
    private static Server jettyOf(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field server = DynamoDBProxyServer.class.getDeclaredField("server");
        server.setAccessible(true);
        return (Server) server.get(proxy);
    }

    private static void refuse(String reason) {
        System.err.println(reason);
        Runtime.getRuntime().halt(1);
    }
}
