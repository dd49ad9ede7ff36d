package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;
import software.constructs.MetadataEntry;

/** cdk-nag AwsSolutions and PCI DSS 3.2.1 packs: no unsuppressed error in any stack. */
class NagTest {

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of("warm-standby", new String[0]),
        Arguments.of("warm-standby", new String[] {"failoverSwitch", "true"}),
        Arguments.of("active-passive", new String[0]),
        Arguments.of("serverless-alb", new String[0]),
        Arguments.of("serverless-api", new String[0]),
        Arguments.of("serverless-api", new String[] {"destroyable", "true"}),
        Arguments.of(null, new String[0]));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("configurations")
  void nagPacks_reportNoUnsuppressedErrors(String profile, String[] extra) {
    Synth synth = Synth.of(profile, extra);
    List<String> findings = new ArrayList<>();
    for (Stack stack : Stacks.all(synth.stacks)) {
      synth.template(stack);
      for (IConstruct construct : stack.getNode().findAll()) {
        for (MetadataEntry entry : construct.getNode().getMetadata()) {
          if (entry.getType().equals("aws:cdk:error")) {
            findings.add(construct.getNode().getPath() + " " + firstLine(entry.getData()));
          }
        }
      }
    }
    findings.forEach(System.out::println);
    assertThat(findings).isEmpty();
  }

  private static String firstLine(Object data) {
    String text = String.valueOf(data);
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
