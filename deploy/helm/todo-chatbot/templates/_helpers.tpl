{{/* Names, labels and the pieces every workload shares. */}}

{{- define "todo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "todo.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "todo.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "todo.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "todo.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "todo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: api, web, serve, migrate, keys-rotate, test. */}}
{{- define "todo.selector" -}}
app.kubernetes.io/name: {{ include "todo.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "todo.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}:{{ $tag }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ $tag }}
{{- end -}}
{{- end -}}

{{- define "todo.secretName" -}}
{{- default (printf "%s-secrets" (include "todo.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* What the chart refuses, with a reason a user can act on. */}}
{{- define "todo.validate" -}}
{{- if and (eq .Values.mode "serve") (or (gt (int .Values.serve.replicas) 1) .Values.api.autoscaling.enabled) -}}
{{- fail "mode: serve keeps its data in an SQLite file on one volume: serve.replicas must be 1 (use mode: split with PostgreSQL to scale)" -}}
{{- end -}}
{{- if and (eq .Values.mode "split") (not .Values.secrets.existingSecret) (not .Values.secrets.databaseURL) -}}
{{- fail "mode: split needs PostgreSQL: set secrets.existingSecret (a Secret with DATABASE_URL and BETTER_AUTH_SECRET) or --set-file secrets.databaseURL=FILE" -}}
{{- end -}}
{{- if and .Values.config.openai.enabled (not .Values.secrets.existingSecret) (not .Values.secrets.openAIAPIKey) -}}
{{- fail "config.openai.enabled needs OPENAI_API_KEY: in secrets.existingSecret, or --set-file secrets.openAIAPIKey=FILE" -}}
{{- end -}}
{{- if and .Values.config.reminders.webhookURL (not .Values.secrets.existingSecret) (not .Values.secrets.reminderWebhookSecret) -}}
{{- fail "config.reminders.webhookURL needs REMINDER_WEBHOOK_SECRET: in secrets.existingSecret, or --set-file secrets.reminderWebhookSecret=FILE" -}}
{{- end -}}
{{- if and .Values.config.mail.enabled (not .Values.config.mail.from) -}}
{{- fail "config.mail.enabled needs config.mail.from (MAIL_FROM), e.g. Todo <noreply@example.com>" -}}
{{- end -}}
{{- if and .Values.config.mail.enabled (not .Values.secrets.existingSecret) (not .Values.secrets.smtpURL) -}}
{{- fail "config.mail.enabled needs SMTP_URL: in secrets.existingSecret, or --set-file secrets.smtpURL=FILE" -}}
{{- end -}}
{{- if and .Values.config.mail.requireEmailVerification (not .Values.config.mail.enabled) -}}
{{- fail "config.mail.requireEmailVerification needs config.mail.enabled: nobody could verify an email without mail" -}}
{{- end -}}
{{- if and (eq .Values.mode "serve") (or .Values.ingress.enabled .Values.httpRoute.enabled) -}}
{{- fail "mode: serve answers /metrics on its one port, which an Ingress must never publish: use kubectl port-forward for the demo, or mode: split" -}}
{{- end -}}
{{- if and .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) -}}
{{- fail "ingress.tls.enabled needs ingress.tls.secretName" -}}
{{- end -}}
{{- end -}}

{{/* Pod-level security: Pod Security "restricted". */}}
{{- define "todo.podSecurity" -}}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
  seccompProfile:
    type: {{ .Values.seccompProfile.type }}
    {{- if eq .Values.seccompProfile.type "Localhost" }}
    localhostProfile: {{ .Values.seccompProfile.localhostProfile }}
    {{- end }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "todo.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  capabilities:
    drop: [ALL]
{{- end -}}

{{/* Settings every role reads; secrets come as files. `needsDatabase` adds DATABASE_URL_FILE. */}}
{{- define "todo.env" -}}
- name: LOG_LEVEL
  value: {{ .root.Values.config.logLevel | quote }}
- name: LOG_FORMAT
  value: {{ .root.Values.config.logFormat | quote }}
- name: TRUSTED_PROXIES
  value: {{ .root.Values.config.trustedProxies | quote }}
- name: MIGRATE_ON_START
  value: "0"
{{- if .secrets }}
- name: BETTER_AUTH_SECRET_FILE
  value: /var/run/secrets/todo-chatbot/BETTER_AUTH_SECRET
{{- if eq .root.Values.mode "split" }}
- name: DATABASE_URL_FILE
  value: /var/run/secrets/todo-chatbot/DATABASE_URL
- name: DATABASE_POOL_SIZE
  value: {{ .root.Values.config.databasePoolSize | quote }}
- name: DATABASE_TIMEOUT
  value: {{ printf "%ds" (int .root.Values.config.databaseTimeoutSeconds) | quote }}
{{- end }}
{{- if .root.Values.config.publicURL }}
- name: BETTER_AUTH_URL
  value: {{ .root.Values.config.publicURL | quote }}
{{- end }}
{{- with .root.Values.config.trustedOrigins }}
- name: TRUSTED_ORIGINS
  value: {{ join "," . | quote }}
{{- end }}
{{- if .root.Values.config.openai.enabled }}
- name: OPENAI_API_KEY_FILE
  value: /var/run/secrets/todo-chatbot/OPENAI_API_KEY
- name: OPENAI_MODEL
  value: {{ .root.Values.config.openai.model | quote }}
{{- with .root.Values.config.openai.baseURL }}
- name: OPENAI_BASE_URL
  value: {{ . | quote }}
{{- end }}
{{- end }}
- name: REMINDER_POLL_INTERVAL
  value: {{ .root.Values.config.reminders.pollInterval | quote }}
{{- with .root.Values.config.reminders.webhookURL }}
- name: REMINDER_WEBHOOK_URL
  value: {{ . | quote }}
- name: REMINDER_WEBHOOK_SECRET_FILE
  value: /var/run/secrets/todo-chatbot/REMINDER_WEBHOOK_SECRET
{{- end }}
{{- if .root.Values.config.mail.enabled }}
- name: SMTP_URL_FILE
  value: /var/run/secrets/todo-chatbot/SMTP_URL
- name: MAIL_FROM
  value: {{ .root.Values.config.mail.from | quote }}
{{- end }}
{{- if .root.Values.config.mail.requireEmailVerification }}
- name: REQUIRE_EMAIL_VERIFICATION
  value: "1"
{{- end }}
{{- end }}
{{- with .root.Values.config.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "todo.secretVolume" -}}
- name: secrets
  secret:
    secretName: {{ include "todo.secretName" . }}
    defaultMode: 0440
{{- end -}}

{{- define "todo.secretMount" -}}
- name: secrets
  mountPath: /var/run/secrets/todo-chatbot
  readOnly: true
{{- end -}}

{{/* Spread replicas over zones and nodes when the cluster has them. */}}
{{- define "todo.spread" -}}
{{- if .root.Values.topologySpread.enabled }}
topologySpreadConstraints:
  - maxSkew: {{ .root.Values.topologySpread.maxSkew }}
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "todo.selector" . | nindent 8 }}
  - maxSkew: {{ .root.Values.topologySpread.maxSkew }}
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "todo.selector" . | nindent 8 }}
{{- end }}
{{- end -}}

{{/* Egress rules the network policies share. */}}
{{- define "todo.dnsEgress" }}
- to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
{{- end }}
{{- define "todo.databaseEgress" }}
- to:
    {{- range .networkPolicy.databaseCIDRs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
  ports:
    - {protocol: TCP, port: {{ .networkPolicy.databasePort }}}
{{- end }}
