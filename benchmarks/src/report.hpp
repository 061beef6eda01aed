// report.hpp — prints the measured rows as a text table or as JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "figures.hpp"

namespace esk::bench {

// What the run was and where: printed above the table and in the JSON.
struct run_description {
  std::string command_line;
  std::string machine;  // "2 cores, AMD EPYC, ext4 on /dev/vda"
};

// Writes an aligned table, one line per row, with the command line and machine above it.
void print_table(std::ostream& out, const run_description& run, const std::vector<figure>& rows);

// Writes {"command_line":..,"machine":..,"results":[{...},...]} on one line.
void print_json(std::ostream& out, const run_description& run, const std::vector<figure>& rows);

// Describes this machine: core count, CPU model (/proc/cpuinfo), filesystem of `directory`.
std::string describe_machine(const std::string& directory);

}  // namespace esk::bench
