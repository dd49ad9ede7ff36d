#!/usr/bin/env bash
# The app command of cdk.json: builds whatever is missing (the deployable jars, the infra classes
# and their classpath) with Maven, then runs the CDK app on a plain JVM, which is several seconds
# faster than mvn exec. Maven output goes to stderr so it never mixes with the CLI's protocol.
set -euo pipefail
infra="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$infra/.." && pwd)"
. "$root/scripts/java-env.sh"

missing=()
for module_jar in service:service/target/trading-service.jar \
                  lambda:lambda/target/trading-lambda.jar \
                  aws:aws/target/trading-orchestrator.jar; do
  module="${module_jar%%:*}"
  jar="${module_jar#*:}"
  if [ -d "$root/$module" ] && [ ! -f "$root/$jar" ]; then
    missing+=("$module")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "building missing jars: ${missing[*]}" >&2
  (cd "$root" && mvn -q -pl "$(IFS=,; echo "${missing[*]}")" -am package -DskipTests \
    -Dspotless.check.skip) >&2
fi

classpath="$infra/target/app.classpath"
stamp="$infra/target/classes/.app-built"
if [ ! -f "$classpath" ] || [ ! -f "$stamp" ] \
   || [ -n "$(find "$infra/src/main" "$infra/pom.xml" "$root/pom.xml" -newer "$stamp" -print -quit)" ]; then
  echo "compiling the infra app" >&2
  (cd "$root" && mvn -q -pl infra -am compile dependency:build-classpath \
    -Dmdep.outputFile="$classpath" -Dmdep.includeScope=runtime -Dspotless.check.skip) >&2
  touch "$stamp"
fi
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
# The default jar paths (../service/target/...) are relative to the infra directory.
cd "$infra"
exec java -cp "$infra/target/classes:$(cat "$classpath")" io.tradingdr.infra.TradingDrApp
