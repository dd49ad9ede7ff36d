package io.tradingdr.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.PCIDSS321Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes each configuration once per test JVM (with the cdk-nag packs attached, so the nag
 * test and the template assertions share one synthesis) and caches its templates.
 */
final class Synth {
  private static final Map<String, Synth> CACHE = new ConcurrentHashMap<>();
  private static Path jars;

  static {
    // Each test run starts from an empty synthesis directory.
    Path old = Path.of("target", "test-synth");
    if (Files.isDirectory(old)) {
      try (java.util.stream.Stream<Path> paths = Files.walk(old)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  final TradingDrApp.Stacks stacks;
  private final Map<Stack, Template> templates = new ConcurrentHashMap<>();

  private Synth(Map<String, Object> context) {
    Map<String, Object> all = new HashMap<>(baseContext());
    all.putAll(context);
    App app =
        new App(AppProps.builder().context(all).outdir(tempDir("cdk-out").toString()).build());
    this.stacks = TradingDrApp.build(app);
    Aspects.of(app).add(new AwsSolutionsChecks());
    Aspects.of(app).add(new PCIDSS321Checks());
  }

  /** The synthesized app for a profile (and optional extra context), built once. */
  static Synth of(String profile, String... extra) {
    Map<String, Object> context = new HashMap<>();
    if (profile != null) {
      context.put("profile", profile);
    }
    for (int i = 0; i < extra.length; i += 2) {
      context.put(extra[i], extra[i + 1]);
    }
    return CACHE.computeIfAbsent(context.toString(), k -> new Synth(context));
  }

  Template template(Stack stack) {
    return templates.computeIfAbsent(stack, Template::fromStack);
  }

  Template control() {
    return template(stacks.control());
  }

  Template base() {
    return template(stacks.standbyBase());
  }

  Template primary() {
    return template(stacks.primary());
  }

  Template standby() {
    return template(stacks.standby());
  }

  Template global() {
    return template(stacks.global());
  }

  /** All resources of a type in a template, as JSON text (for user data and policy documents). */
  static String json(Template template, String type) {
    return template.findResources(type).toString();
  }

  /** Context every test synthesis uses: suffix, the committed AZs, and small real jars. */
  static synchronized Map<String, Object> baseContext() {
    Map<String, Object> context = new HashMap<>();
    context.put("environmentSuffix", "test");
    Path dir = jarDir();
    context.put("serviceJar", dir.resolve("trading-service.jar").toString());
    context.put("lambdaJar", dir.resolve("trading-lambda.jar").toString());
    context.put("orchestratorJar", dir.resolve("trading-orchestrator.jar").toString());
    for (String region : new String[] {"us-east-1", "us-east-2", "us-west-2"}) {
      context.put(
          "availability-zones:account=111111111111:region=" + region,
          java.util.List.of(region + "a", region + "b", region + "c"));
    }
    return context;
  }

  static synchronized Path jarDir() {
    if (jars == null) {
      jars = tempDir("jars");
      for (String name :
          new String[] {"trading-service.jar", "trading-lambda.jar", "trading-orchestrator.jar"}) {
        try (JarOutputStream out =
            new JarOutputStream(Files.newOutputStream(jars.resolve(name)), new Manifest())) {
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return jars;
  }

  private static Path tempDir(String prefix) {
    try {
      Path target = Path.of("target", "test-synth");
      Files.createDirectories(target);
      return Files.createTempDirectory(target, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
