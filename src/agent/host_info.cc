#include "agent/host_info.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/strings.h"

namespace octane::agent {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

nlohmann::json networks() {
    nlohmann::json out = nlohmann::json::object();
    std::istringstream in(read_file("/proc/net/dev"));
    std::string line;
    while (std::getline(in, line)) {
        size_t colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        std::string name(trim(line.substr(0, colon)));
        std::istringstream fields(line.substr(colon + 1));
        int64_t value = 0;
        std::vector<int64_t> v;
        while (fields >> value) {
            v.push_back(value);
        }
        if (v.size() >= 9) {
            out[name] = {{"network_rx", v[0]}, {"network_tx", v[8]}};
        }
    }
    return out;
}

nlohmann::json cpu() {
    std::istringstream in(read_file("/proc/stat"));
    std::string label;
    int64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0;
    in >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq;
    int64_t total = user + nice + system + idle + iowait + irq + softirq;
    return {{"total", total}, {"user", user}, {"system", system}, {"soft_irq", softirq}};
}

nlohmann::json memory() {
    std::map<std::string, int64_t> kb;
    std::istringstream in(read_file("/proc/meminfo"));
    std::string key;
    int64_t value = 0;
    std::string unit;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        if (fields >> key >> value) {
            kb[key.substr(0, key.size() - 1)] = value;
        }
    }
    return {{"total", kb["MemTotal"]},
            {"free", kb["MemFree"]},
            {"buffers", kb["Buffers"]},
            {"cached", kb["Cached"]},
            {"swap_used", kb["SwapTotal"] - kb["SwapFree"]},
            {"shared", kb["Shmem"]},
            {"slab", kb["Slab"]}};
}

}  // namespace

std::string engine_version_from_output(const std::string& output) {
    std::string first = output.substr(0, output.find('\n'));
    size_t dialect = first.find("dialect of HAProxy ");
    if (dialect != std::string::npos) {
        std::string rest = first.substr(dialect + 19);
        return rest.substr(0, rest.find_first_of(" )"));
    }
    size_t version = first.find("version ");
    if (version == std::string::npos) {
        return "";
    }
    std::string rest = first.substr(version + 8);
    return rest.substr(0, rest.find(' '));
}

std::string host_name() {
    char buffer[256] = {};
    gethostname(buffer, sizeof(buffer) - 1);
    return buffer;
}

Result<nlohmann::json> host_details(const std::string& engine_version, int engine_count,
                                    const std::vector<std::string>& listener_ids,
                                    const std::string& disk_path) {
    nlohmann::json load = nlohmann::json::array();
    std::istringstream loadavg(read_file("/proc/loadavg"));
    for (int i = 0; i < 3; ++i) {
        std::string value;
        loadavg >> value;
        load.push_back(value);
    }
    struct statvfs disk {};
    if (statvfs(disk_path.c_str(), &disk) != 0) {
        return make_error("statvfs " + disk_path + ": " + std::strerror(errno), errno);
    }
    int64_t block = static_cast<int64_t>(disk.f_frsize);
    return nlohmann::json{{"hostname", host_name()},
                          {"haproxy_version", engine_version},
                          {"api_version", "1.0"},
                          {"networks", networks()},
                          {"active", true},
                          {"haproxy_count", engine_count},
                          {"cpu_count", static_cast<int>(std::thread::hardware_concurrency())},
                          {"cpu", cpu()},
                          {"memory", memory()},
                          {"disk",
                           {{"used", static_cast<int64_t>(disk.f_blocks - disk.f_bfree) * block},
                            {"available", static_cast<int64_t>(disk.f_bavail) * block}}},
                          {"load", load},
                          {"active_tuned_profiles", ""},
                          {"topology", "SINGLE"},
                          {"topology_status", "OK"},
                          {"listeners", listener_ids},
                          {"packages", nlohmann::json::object()}};
}

std::optional<std::string> interface_with_address(const std::string& ip) {
    unsigned char wanted[16] = {};
    int family = AF_INET;
    if (inet_pton(AF_INET, ip.c_str(), wanted) != 1) {
        family = AF_INET6;
        if (inet_pton(AF_INET6, ip.c_str(), wanted) != 1) {
            return std::nullopt;
        }
    }
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) == -1) {
        return std::nullopt;
    }
    std::optional<std::string> found;
    for (ifaddrs* it = list; it != nullptr && !found; it = it->ifa_next) {
        if (it->ifa_addr == nullptr || it->ifa_addr->sa_family != family) {
            continue;
        }
        const void* address =
            family == AF_INET
                ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(it->ifa_addr)->sin_addr)
                : static_cast<const void*>(
                      &reinterpret_cast<sockaddr_in6*>(it->ifa_addr)->sin6_addr);
        if (std::memcmp(address, wanted, family == AF_INET ? 4 : 16) == 0) {
            found = it->ifa_name;
        }
    }
    freeifaddrs(list);
    // 127.0.0.0/8 is all local on Linux: the loopback answers for any of it.
    if (!found && family == AF_INET && wanted[0] == 127) {
        found = "lo";
    }
    return found;
}

std::optional<std::string> interface_with_mac(const std::string& mac) {
    std::string wanted = to_lower(trim(mac));
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/sys/class/net", ec)) {
        std::string address = to_lower(trim(read_file(entry.path().string() + "/address")));
        if (!wanted.empty() && address == wanted) {
            return entry.path().filename().string();
        }
    }
    return std::nullopt;
}

}  // namespace octane::agent
