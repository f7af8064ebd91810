#include "service/cli_main.h"

int main(int argc, char** argv) {
    return octane::service::cli_main(argc, argv);
}
