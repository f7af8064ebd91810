#pragma once

// The rise/fall hysteresis of HAProxy checks, as one counter `health` in [0, rise+fall-1]: the
// server is up iff health >= rise. A success increments (and snaps to the top once up); a
// failure decrements (and snaps to 0 once below rise). A server starts at health == rise: up,
// but the first failure takes it down, as HAProxy does before its first good check.
// Pure: no clock, no I/O.

namespace octane::proxy::health {

class RiseFall {
  public:
    RiseFall(int rise, int fall) : rise_(rise), fall_(fall), health_(rise) {}

    // Each returns true when the up/down state changed.
    bool on_success() {
        bool was = up();
        if (health_ < rise_ + fall_ - 1) {
            ++health_;
            if (health_ >= rise_) {
                health_ = rise_ + fall_ - 1;
            }
        }
        return was != up();
    }
    bool on_failure() {
        bool was = up();
        if (health_ > 0) {
            --health_;
            if (health_ < rise_) {
                health_ = 0;
            }
        }
        return was != up();
    }
    // Forces a state (admin / initial state for servers without checks).
    void force(bool up) { health_ = up ? rise_ + fall_ - 1 : 0; }

    bool up() const { return health_ >= rise_; }
    int health() const { return health_; }
    int rise() const { return rise_; }
    int fall() const { return fall_; }
    // Fully settled: not in a transition, so `inter` applies instead of fastinter/downinter.
    bool settled() const { return health_ == 0 || health_ == rise_ + fall_ - 1; }

  private:
    int rise_;
    int fall_;
    int health_;
};

}  // namespace octane::proxy::health
