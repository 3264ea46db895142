#include "config/migrate_command.hpp"

#include "config/parse_settings.hpp"

namespace cogsync::config {

void add_migrate_command(CLI::App& app, migrate_command& m) {
    auto* sub = app.add_subcommand("migrate", "Copy identity pools, identities and their data from a live Cognito "
                                              "deployment, keeping every IdentityId and sync count; run again to catch up");
    sub->add_option("--source-endpoint", m.source_endpoint,
                    "The source's URL for both APIs (default: AWS's cognito-identity and cognito-sync endpoints of --region)");
    sub->add_option("--region", m.region, "The source's region (SigV4 scope)")->capture_default_str();
    sub->add_option("--source-credentials", m.source_credentials,
                    "An AWS shared credentials file with a developer key (default: AWS_ACCESS_KEY_ID, "
                    "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)");
    sub->add_option("--source-profile", m.source_profile, "The profile of --source-credentials")->capture_default_str();
    sub->add_option("--identity-pool-id", m.pools, "A pool to migrate (repeat for several)")->required();
    sub->add_option("--checkpoint", m.checkpoint, "The checkpoint file (default: <data-dir>/migrate-checkpoint.json)");
    sub->add_option("--max-rps", m.max_rps, "Most requests per second to the source")
        ->check(CLI::Range(0.1, 10000.0))->capture_default_str();
    sub->add_option("--max-attempts", m.max_attempts, "Attempts per request on throttling, 5xx and network errors")
        ->check(CLI::Range(1, 100))->capture_default_str();
    sub->add_option("--data-dir", m.data_dir, "Directory holding the SQLite database (created if needed)")
        ->envname("COGSYNC_DATA_DIR")->capture_default_str();
    add_store_option(*sub, m.store);
    add_limit_options(*sub, m.limits);
    sub->callback([&m] { m.chosen = true; });
}

}  // namespace cogsync::config
