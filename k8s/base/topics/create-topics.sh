#!/bin/sh
# Creates the Argus topics on a broker: the names, partition counts and configs of the topic registry,
# libs/contracts/src/topics.ts (k8s/manifests.spec.ts fails when the two differ). Locally `argus stack up`
# does this from the registry itself; this script serves the compose file and the Kubernetes Job, which run
# it in the apache/kafka image.
#
# Existing topics are left as they are (--if-not-exists). Partitions are not grown here: more partitions
# move keys to other partitions, which breaks per-card ordering while old records drain; do it on purpose.
#
#   KAFKA_BOOTSTRAP      bootstrap servers, host:port[,host:port]
#   REPLICATION_FACTOR   optional; unset, the broker's default.replication.factor applies
set -eu

bootstrap="${KAFKA_BOOTSTRAP:?KAFKA_BOOTSTRAP is required}"
topics_cli=/opt/kafka/bin/kafka-topics.sh

attempt=0
until "$topics_cli" --bootstrap-server "$bootstrap" --list >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then
    echo "Kafka at $bootstrap did not answer after $attempt attempts" >&2
    exit 1
  fi
  echo "waiting for Kafka at $bootstrap"
  sleep 2
done

# topic NAME PARTITIONS [CONFIG=VALUE ...]
topic() {
  name=$1
  partitions=$2
  shift 2
  for config in "$@"; do
    set -- "$@" --config "$config"
    shift
  done
  if [ -n "${REPLICATION_FACTOR:-}" ]; then
    set -- "$@" --replication-factor "$REPLICATION_FACTOR"
  fi
  "$topics_cli" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" "$@"
}

topic transactions 6 retention.ms=604800000
topic transactions.normalized 6 retention.ms=604800000
topic transactions.dlq 1 retention.ms=2592000000
topic transactions.features 6 retention.ms=604800000
topic transactions.scores 6 retention.ms=604800000
topic transactions.rule-results 6 retention.ms=604800000
topic decisions 6 retention.ms=2592000000
topic step-up-results 6 retention.ms=2592000000
topic labels 6 retention.ms=31536000000
topic case-events 6 retention.ms=31536000000

echo "Argus topics are in place"
