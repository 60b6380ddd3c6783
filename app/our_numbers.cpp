#include "app/our_numbers.hpp"

namespace crmd::app {

std::vector<std::string> our_numbers::get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return numbers_;
}

void our_numbers::set(std::vector<std::string> numbers) {
  std::lock_guard<std::mutex> lock(mutex_);
  numbers_ = std::move(numbers);
}

}  // namespace crmd::app
