package io.tradingdr.local.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkPartitionTest {

  private ServerSocket isolated;
  private ServerSocket other;
  private NetworkPartition partition;
  private final String name = "test_" + ProcessHandle.current().pid();

  @BeforeEach
  void listen() throws IOException {
    assumeTrue(NetworkPartition.isSupported(), "needs root and nft");
    isolated = new ServerSocket();
    isolated.bind(new InetSocketAddress(InetAddress.getByName("127.0.1.1"), 0));
    other = new ServerSocket();
    other.bind(new InetSocketAddress(InetAddress.getByName("127.0.2.1"), 0));
    partition =
        new NetworkPartition(
            name,
            Set.of(
                new NetworkPartition.Endpoint(
                    InetAddress.getByName("127.0.1.1"), isolated.getLocalPort())),
            "127.0.1.0/24");
  }

  @AfterEach
  void close() throws IOException {
    if (partition != null) {
      partition.close();
    }
    if (isolated != null) {
      isolated.close();
      other.close();
    }
  }

  @Test
  void cut_dropsNewConnectionsFromOutside_butNotFromInsideTheRange_orToOtherEndpoints()
      throws IOException {
    partition.cut();

    assertThatThrownBy(() -> connect(null, isolated)).isInstanceOf(SocketTimeoutException.class);
    try (Socket inside = connect("127.0.1.7", isolated)) {
      assertThat(inside.isConnected()).isTrue();
    }
    try (Socket elsewhere = connect(null, other)) {
      assertThat(elsewhere.isConnected()).isTrue();
    }
  }

  @Test
  void cut_stallsAnEstablishedConnection_andHealRestoresIt() throws IOException {
    try (Socket client = connect(null, isolated);
        Socket server = isolated.accept()) {
      server.setSoTimeout(500);
      partition.cut();
      client.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
      client.getOutputStream().flush();
      InputStream in = server.getInputStream();
      assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);

      partition.heal();

      server.setSoTimeout(5_000);
      assertThat(in.read()).isEqualTo('x');
    }
    try (Socket again = connect(null, isolated)) {
      assertThat(again.isConnected()).isTrue();
    }
  }

  @Test
  void heal_removesOnlyItsOwnTable() throws Exception {
    String foreign = "tdrforeign_" + ProcessHandle.current().pid();
    nft("add", "table", "inet", foreign);
    try {
      partition.cut();
      assertThat(nft("list", "tables")).contains("tdr_" + name);

      partition.close();

      String tables = nft("list", "tables");
      assertThat(tables).doesNotContain("tdr_" + name).contains(foreign);
      assertThat(partition.isActive()).isFalse();
    } finally {
      nft("delete", "table", "inet", foreign);
    }
  }

  @Test
  void constructor_rejectsAddressesOutsideLoopback() {
    assertThatThrownBy(() -> new NetworkPartition.Endpoint(InetAddress.getByName("10.0.0.1"), 5432))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("127.0.0.0/8");
    assertThatThrownBy(() -> new NetworkPartition("Bad-Name", Set.of(), "127.0.1.0/24"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a-z");
  }

  private static Socket connect(String source, ServerSocket target) throws IOException {
    Socket socket = new Socket();
    if (source != null) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    }
    try {
      socket.connect(target.getLocalSocketAddress(), 500);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  private static String nft(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "nft";
    System.arraycopy(args, 0, command, 1, args.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out;
  }
}
