#include "actors/supervisor_actor.hpp"
#include "actors/type_ids.hpp"
#include "tests/support/caf_testing.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace crmd {
namespace {

using namespace std::chrono_literals;
using crash_atom = caf::atom_constant<caf::atom("crash")>;


caf::behavior crashing_child(caf::event_based_actor* self, std::string reason) {
  return {
    [self, reason](crash_atom) { self->quit(caf::make_error(caf::sec::runtime_error, reason)); },
  };
}

struct SupervisorFixture : ::testing::Test {
  caf::actor_system_config cfg;
  caf::actor_system sys{crmd::testing::deterministic(cfg)};
  caf::scoped_actor self{sys, true};
  caf::scheduler::test_coordinator& sched
    = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  prometheus::Registry metrics;
  caf::actor supervisor;
  const caf::atom_value key = caf::atom("child");

  void SetUp() override {
    std::vector<child_spec> children;
    children.push_back({"child", key, [](caf::actor_system& system) {
                          return system.spawn(crashing_child, std::string("boom"));
                        }});
    supervisor = spawn_supervisor(sys, std::move(children), {.backoff_min = 200ms,
                                                             .backoff_max = 1s,
                                                             .stable_after = 60s},
                                  metrics);
    sched.run();
  }

  void TearDown() override {
    self->send(supervisor, atoms::shutdown_atom_v);
    sched.run();
  }

  caf::actor current_child() { return sys.registry().get<caf::actor>(key); }

  void crash_child() {
    self->send(current_child(), crash_atom::value);
    sched.run();
  }

  double restarts() {
    auto text = prometheus::TextSerializer().Serialize(metrics.Collect());
    auto at = text.find("crmd_actor_restarts_total{actor=\"child\"} ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + 41));
  }
};

TEST_F(SupervisorFixture, PublishesTheChildInTheRegistry) {
  EXPECT_NE(current_child(), nullptr);
  EXPECT_EQ(restarts(), 0);
}

TEST_F(SupervisorFixture, RestartsACrashedChildAfterTheBackoff) {
  auto first = current_child();
  crash_child();
  EXPECT_EQ(current_child(), nullptr) << "a dead child must not stay published";
  sched.clock().advance_time(199ms);
  sched.run();
  EXPECT_EQ(current_child(), nullptr) << "restarted before the backoff elapsed";
  sched.clock().advance_time(1ms);
  sched.run();
  auto second = current_child();
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second.id(), first.id());
  EXPECT_EQ(restarts(), 1);
}

TEST_F(SupervisorFixture, BackoffDoublesForRepeatedCrashes) {
  crash_child();
  sched.clock().advance_time(200ms);
  sched.run();
  ASSERT_NE(current_child(), nullptr);
  crash_child();
  sched.clock().advance_time(200ms);
  sched.run();
  EXPECT_EQ(current_child(), nullptr) << "second restart must wait 400 ms";
  sched.clock().advance_time(200ms);
  sched.run();
  EXPECT_NE(current_child(), nullptr);
  EXPECT_EQ(restarts(), 2);
}

TEST_F(SupervisorFixture, ShutdownStopsChildrenWithoutRestarting) {
  auto child = current_child();
  self->send(supervisor, atoms::shutdown_atom_v);
  sched.run();
  sched.clock().advance_time(10s);
  sched.run();
  EXPECT_EQ(current_child(), nullptr);
  EXPECT_EQ(restarts(), 0);
}

}  // namespace
}  // namespace crmd
