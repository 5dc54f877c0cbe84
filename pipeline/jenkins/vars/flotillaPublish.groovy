// flotillaPublish(): pushes the built images to the registry (ECR) and signs them with the
// pipeline's cosign key. Credentials only through withCredentials: the AWS deploy user and the
// cosign key file with its password.
void call() {
  withCredentials([
    [$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'flotilla-aws-deploy'],
    file(credentialsId: 'flotilla-cosign-key', variable: 'COSIGN_KEY'),
    string(credentialsId: 'flotilla-cosign-password', variable: 'COSIGN_PASSWORD'),
  ]) {
    sh 'pipeline/registry-login'
    sh 'pipeline/push'
    sh 'pipeline/sign'
  }
}
