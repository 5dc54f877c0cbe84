// flotillaPromote(env:, ecsCluster:, from:): the hand-over to an environment (seed 003's deploy,
// GitOps): pipeline/promote commits the verified digests where Flux reads them for `env` (Flux
// rolls the cluster, runs the helm tests, rolls a failure back), then pipeline/roll-ecs rolls the
// environment's ECS services (`ecsCluster`, or 'none') to the same digests. With `from`, `env` gets
// what `from` runs, tagged as the next release (prod follows release tags).
void call(Map args) {
  withCredentials([
    [$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'flotilla-aws-deploy'],
    file(credentialsId: 'flotilla-cosign-pub', variable: 'COSIGN_PUBLIC_KEY'),
    string(credentialsId: 'flotilla-git-push-token', variable: 'PROMOTE_GIT_TOKEN'),
  ]) {
    withEnv(["TARGET=${args.env}", "FROM=${args.from ?: ''}", "ECS_CLUSTER=${args.ecsCluster}"]) {
      sh 'pipeline/registry-login'
      if (args.from) {
        sh 'pipeline/promote "$TARGET" --from "$FROM" --release'
      } else {
        sh 'pipeline/promote "$TARGET"'
      }
      sh 'pipeline/roll-ecs "$TARGET"'
    }
  }
}
