package io.tradingdr.procs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DynamoDbLocalProcessTest {

  @Test
  void start_answersDynamoDbApi_onItsOwnClasspath_andStopEndsThePid() throws Exception {
    DynamoDbLocalProcess ddb = DynamoDbLocalProcess.builder().build();
    long pid;
    try (ddb) {
      ddb.start();
      pid = ddb.pid();

      HttpResponse<String> listTables = listTables(ddb.endpoint());

      assertThat(listTables.statusCode()).isEqualTo(200);
      assertThat(listTables.body()).contains("TableNames");
      assertThat(ProcessHandle.of(pid).orElseThrow().info().commandLine().orElse(""))
          .contains("DynamoDBLocal-");
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(ddb.isRunning()).isFalse();
  }

  @Test
  void classpath_isDynamoDbLocalsOwn_notTheCallers() {
    String classpath = DynamoDbLocalProcess.classpath();

    assertThat(classpath).contains("DynamoDBLocal-2.6.1.jar").doesNotContain("junit");
  }

  private static HttpResponse<String> listTables(URI endpoint) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=dummy/20260101/us-east-1/dynamodb/aws4_request,"
                    + " SignedHeaders=host, Signature=00")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
