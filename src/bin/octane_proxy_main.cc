// octane-proxy: the data-plane engine. All logic lives in src/proxy/runtime/cli.*; this stays thin.

#include "proxy/runtime/cli.h"

int main(int argc, char** argv) {
    return octane::proxy::run_cli(argc, argv);
}
