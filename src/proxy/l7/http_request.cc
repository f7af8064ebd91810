// Request-head handling of HttpSession: L7 rules, backend choice, header edits, persistence.

#include <ctime>

#include "proxy/http/canned_responses.h"
#include "proxy/http/http_chars.h"
#include "proxy/l7/http_session.h"
#include "proxy/l7/http_session_exchange.h"
#include "proxy/runtime/worker.h"
#include "proxy/tls/tls_facts.h"

namespace octane::proxy {
namespace {

// Value of cookie `name` in the Cookie header(s), or "" (found tells an empty one apart).
std::string_view find_cookie(const http::HeaderMap& headers, std::string_view name, bool* found) {
    std::string_view result;
    *found = false;
    headers.for_each("Cookie", [&](std::string_view v) {
        size_t pos = 0;
        while (pos < v.size()) {
            size_t end = v.find(';', pos);
            std::string_view part =
                http::trim_ows(v.substr(pos, end == v.npos ? v.npos : end - pos));
            size_t eq = part.find('=');
            if (eq != part.npos && part.substr(0, eq) == name) {
                result = part.substr(eq + 1);
                *found = true;
                return false;
            }
            if (end == v.npos) {
                break;
            }
            pos = end + 1;
        }
        return true;
    });
    return result;
}

// The Cookie header without `name` (what `cookie ... indirect` forwards).
std::string strip_cookie(const http::HeaderMap& headers, std::string_view name) {
    std::string out;
    headers.for_each("Cookie", [&](std::string_view v) {
        size_t pos = 0;
        while (pos <= v.size()) {
            size_t end = v.find(';', pos);
            std::string_view part =
                http::trim_ows(v.substr(pos, end == v.npos ? v.npos : end - pos));
            size_t eq = part.find('=');
            if (!part.empty() && !(eq != part.npos && part.substr(0, eq) == name)) {
                if (!out.empty()) {
                    out += "; ";
                }
                out += part;
            }
            if (end == v.npos) {
                break;
            }
            pos = end + 1;
        }
        return true;
    });
    return out;
}

}  // namespace

bool HttpSession::on_request_head() {
    Exchange& x = *x_;
    const http::MessageHead& head = x.req_parser.head();
    http::MessageView view(x.in, head);
    x.headers.reset(view);
    Counters::add(fe_.counters.req_tot, 1);
    x.method = head.method;
    x.req_keep_alive = head.keep_alive;
    served_request_ = true;
    if (fe_.cfg->log && worker_.access_log() != nullptr) {
        x.request_line = std::string(view.method()) + " " + std::string(view.target()) +
                         (head.version_minor == 0 ? " HTTP/1.0" : " HTTP/1.1");
    }
    state_ = State::kConnecting;  // until a server is chosen; rules may answer instead
    http::ConnectionFacts facts;
    if (peer_ip_.empty()) {
        peer_ip_ = peer_.host_string();
    }
    facts.src_ip = peer_ip_;
    facts.src_port = peer_.port();
    facts.dst_port = fe_.cfg->binds.empty() ? 0 : fe_.cfg->binds[0].endpoint.port();
    facts.ssl = cli_.ssl != nullptr;
    if (cli_.ssl != nullptr) {
        // Once per connection: the handshake is over by the first request.
        if (!tls_facts_) {
            tls_facts_ = std::make_unique<http::TlsFacts>(tls::read_tls_facts(cli_.ssl));
        }
        facts.tls = tls_facts_.get();
    }

    if (fe_.has_metrics_service &&
        (!fe_.metrics_cond.present() ||
         fe_.metrics_cond.evaluate(http::RequestContext{view, &x.headers, facts}))) {
        x.in.erase(0, head.head_bytes);
        x.status = 200;
        fe_.counters.count_status(200);
        bool close = !head.keep_alive || worker_.stopping();
        serve_metrics(close);
        if (close) {
            return false;
        }
        reset_for_next();
        return true;
    }
    http::L7Decision d = fe_.rules->evaluate(view, x.headers, facts);
    bool has_body = head.body != http::BodyKind::kNone;
    switch (d.verdict) {
        case http::L7Verdict::kReject:
            Counters::add(fe_.counters.dreq, 1);
            close_session();
            return false;
        case http::L7Verdict::kDeny:
            Counters::add(fe_.counters.dreq, 1);
            fe_.counters.count_status(d.status);
            x.status = d.status;
            answer(http::error_response(d.status, true), true);
            return false;
        case http::L7Verdict::kRedirect: {
            fe_.counters.count_status(d.status);
            x.status = d.status;
            bool close = has_body || !head.keep_alive || worker_.stopping();
            answer(http::redirect_response(d.status, d.location, d.set_cookie, close), close);
            if (close) {
                return false;
            }
            x.in.erase(0, head.head_bytes);
            reset_for_next();
            return true;
        }
        case http::L7Verdict::kForward:
            break;
    }
    BackendState* be = fe_.default_backend;
    if (!d.backend.empty()) {
        auto it = worker_.snapshot().backend_by_name.find(std::string(d.backend));
        be = it == worker_.snapshot().backend_by_name.end() ? nullptr : it->second;
    }
    if (be == nullptr) {
        fe_.counters.count_status(503);
        answer(http::error_response(503, true), true);
        return false;
    }
    if (be_ != be) {
        if (be_ != nullptr) {
            be_->counters.close_session();
        }
        be_ = be;
        be_->counters.open_session();
    } else {
        Counters::add(be_->counters.stot, 1);
    }
    Counters::add(be_->counters.req_tot, 1);
    if (be_->rules) {
        http::L7Decision bd = be_->rules->evaluate(view, x.headers, facts);
        if (bd.verdict == http::L7Verdict::kDeny || bd.verdict == http::L7Verdict::kReject) {
            Counters::add(be_->counters.dreq, 1);
            answer(http::error_response(bd.status ? bd.status : 403, true), true);
            return false;
        }
    }
    if (fe_.cfg->forwardfor || be_->cfg->forwardfor) {
        x.headers.add_forwarded_for(peer_ip_);
    }
    ServerState* chosen = nullptr;
    const config::CookiePersistence& ck = be_->cfg->cookie;
    if (ck.enabled) {
        bool found = false;
        std::string_view v = find_cookie(x.headers, ck.name, &found);
        if (found) {
            chosen = be_->take_specific(be_->by_cookie(v));
            if (ck.indirect) {
                std::string rest = strip_cookie(x.headers, ck.name);
                x.headers.remove("Cookie");
                if (!rest.empty()) {
                    x.headers.add("Cookie", rest);
                }
            }
        }
        x.insert_cookie = ck.insert && chosen == nullptr;
    }
    if (chosen == nullptr && !be_->stick_cookie_match.empty()) {
        bool found = false;
        std::string_view v = find_cookie(x.headers, be_->stick_cookie_match, &found);
        if (found) {
            chosen = be_->take_by_stick_cookie(std::string(v));
        }
    }
    x.headers.serialize(x.to_server);
    x.in.erase(0, head.head_bytes);
    x.req_body.start(head);
    x.req_done = x.req_body.done();
    x.req_head_done = true;
    x.resp_parser.set_request_method(head.method);
    retries_left_ = be_->cfg->retries;
    set_deadline(be_->cfg->timeouts.connect ? be_->cfg->timeouts.connect->count() : 5000);
    if (chosen != nullptr) {
        srv_ = chosen;
        srv_->counters.open_session();
        Counters::add(srv_->counters.lbtot, 1);
        if (!connect_to(srv_)) {
            return false;
        }
    } else if (!pick_and_connect(-1)) {
        return false;
    }
    forward_request_body();
    return !ending();
}

}  // namespace octane::proxy
