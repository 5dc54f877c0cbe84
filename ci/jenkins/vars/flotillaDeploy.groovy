// flotillaDeploy(): the deploy step of every Flotilla job (seed 003: AWS credentials, the EKS
// context, then the deployment): verifies the signatures, helm upgrade --install --atomic --wait by
// digest, smoke test; a failed smoke test rolls the release back and fails the build.
void call() {
  withCredentials([
    [$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'flotilla-aws-deploy'],
    file(credentialsId: 'flotilla-cosign-pub', variable: 'COSIGN_PUBLIC_KEY'),
  ]) {
    sh 'ci/steps/cluster-login'
    sh 'ci/steps/deploy'
    int smoke = sh(script: 'ci/steps/smoke', returnStatus: true)
    if (smoke != 0) {
      sh 'ci/steps/rollback'
      error('smoke test failed: the release was rolled back')
    }
  }
}
