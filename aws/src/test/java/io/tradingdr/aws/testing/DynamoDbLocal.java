package io.tradingdr.aws.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import io.tradingdr.aws.common.AwsClientSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB Local in this JVM, in memory, on a free loopback port, telemetry off. */
public final class DynamoDbLocal implements AutoCloseable {

  private final DynamoDBProxyServer server;
  private final int port;

  private DynamoDbLocal(DynamoDBProxyServer server, int port) {
    this.server = server;
    this.port = port;
  }

  public static DynamoDbLocal start() throws Exception {
    int port = freePort();
    DynamoDBProxyServer server =
        ServerRunner.createServerFromCommandLineArgs(
            new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
    server.start();
    return new DynamoDbLocal(server, port);
  }

  public DynamoDbClient client() {
    return AwsClientSettings.builder("us-east-1")
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy")))
        .maxAttempts(2)
        .baseDelay(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(50))
        .build()
        .build(DynamoDbClient.builder());
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not stop", e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
