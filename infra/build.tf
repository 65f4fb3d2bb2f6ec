# Continuous delivery with Cloud Build (cloudbuild.yaml): lint, tests, build and deploy of
# every function. Staging deploys on each push to main; production deploys a release tag
# only after a person approves the build in the console (Cloud Build > History > Approve).

variable "github_owner" {
  description = "Owner of the GitHub repository connected to Cloud Build (empty: no triggers)."
  type        = string
  default     = ""
}

variable "github_repository" {
  type    = string
  default = "receipts-integrations"
}

resource "google_service_account" "deployer" {
  account_id   = "doc-integrations-deployer"
  display_name = "Cloud Build deployer of the document integrations"
}

# Terraform manages functions, topics, buckets, IAM bindings, KMS and monitoring.
resource "google_project_iam_member" "deployer" {
  #checkov:skip=CKV_GCP_41: the deployer creates one service account per function and deploys each function to run as it; only Cloud Build runs as the deployer, production only after approval
  #checkov:skip=CKV_GCP_49: same reason: managing the functions' service accounts is the deployer's job
  for_each = toset([
    "roles/cloudfunctions.developer", "roles/run.admin", "roles/iam.serviceAccountUser",
    "roles/iam.serviceAccountAdmin", "roles/resourcemanager.projectIamAdmin",
    "roles/pubsub.admin", "roles/storage.admin", "roles/cloudscheduler.admin",
    "roles/secretmanager.admin", "roles/cloudkms.admin", "roles/monitoring.editor",
    "roles/logging.configWriter", "roles/datastore.indexAdmin", "roles/logging.logWriter",
  ])
  project = var.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_cloudbuild_trigger" "deploy" {
  for_each = var.github_owner == "" ? {} : {
    staging    = { branch = "^main$", tag = null, approval = false }
    production = { branch = null, tag = "^v[0-9]+\\.[0-9]+\\.[0-9]+$", approval = true }
  }
  name            = "deploy-${each.key}"
  filename        = "cloudbuild.yaml"
  service_account = google_service_account.deployer.id
  substitutions   = { _ENV = each.key }
  github {
    owner = var.github_owner
    name  = var.github_repository
    push {
      branch = each.value.branch
      tag    = each.value.tag
    }
  }
  approval_config {
    approval_required = each.value.approval
  }
}
