// The token layer as a command, so an independent JOSE implementation can check it:
//   identity_token_tool sign CLAIMS_JSON                -> token line, then JWKS line (fresh key)
//   identity_token_tool verify JWKS_FILE ISSUER NOW TOKEN -> "ok SUB", or the failure (exit 1)
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/identity/tokens/jwt.hpp"
#include "api/identity/tokens/verify_login_token.hpp"

using namespace cogsync::api::identity;

int main(int argc, char** argv) {
    std::string command = argc > 1 ? argv[1] : "";
    if (command == "sign" && argc == 3) {
        auto key = signing_key::generate();
        std::cout << sign_jwt(argv[2], key) << "\n" << jwks_document({&key}) << "\n";
        return 0;
    }
    if (command == "verify" && argc == 6) {
        std::ifstream in(argv[2]);
        std::stringstream jwks;
        jwks << in.rdbuf();
        auto provider = make_login_provider("interop", argv[3], {}, jwks.str());
        if (auto* error = std::get_if<std::string>(&provider)) {
            std::cout << *error << "\n";
            return 1;
        }
        auto v = verify_login_token(argv[5], std::get<login_provider>(provider), std::stoll(argv[4]));
        std::cout << (v.ok() ? "ok " + v.subject : v.message) << "\n";
        return v.ok() ? 0 : 1;
    }
    std::cerr << "usage: identity_token_tool sign CLAIMS_JSON | verify JWKS_FILE ISSUER NOW TOKEN\n";
    return 2;
}
