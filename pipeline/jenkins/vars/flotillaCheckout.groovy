// flotillaCheckout(): the checkout every Flotilla job starts with (seed 001's "load source code"):
// the commit with its history (changed-services diffs against the last successful build), the
// dependencies and the delivery tools, then the changed services into env.CHANGED_SERVICES.
void call() {
  checkout scm
  sh 'pipeline/setup delivery'
  withEnv(["CHANGED_BASE=${env.GIT_PREVIOUS_SUCCESSFUL_COMMIT ?: 'origin/main'}"]) {
    env.CHANGED_SERVICES = sh(script: 'pipeline/changed-services', returnStdout: true).trim()
  }
  echo "changed services: ${env.CHANGED_SERVICES ?: 'none'}"
}
