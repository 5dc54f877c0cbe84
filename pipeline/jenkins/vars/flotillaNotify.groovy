// flotillaNotify(status): tells the team how the build ended (seed 001's Slack notification),
// through pipeline/notify and the webhook credential.
void call(String status) {
  withCredentials([string(credentialsId: 'flotilla-notify-webhook', variable: 'NOTIFY_WEBHOOK_URL')]) {
    withEnv(["STATUS=${status}"]) {
      sh 'pipeline/notify "$STATUS" "${BUILD_URL:-}"'
    }
  }
}
