// flotillaNotify(status): tells the team how the build ended (seed 001's Slack notification),
// through ci/steps/notify and the webhook credential.
void call(String status) {
  withCredentials([string(credentialsId: 'flotilla-notify-webhook', variable: 'NOTIFY_WEBHOOK_URL')]) {
    withEnv(["STATUS=${status}"]) {
      sh 'ci/steps/notify "$STATUS" "${BUILD_URL:-}"'
    }
  }
}
