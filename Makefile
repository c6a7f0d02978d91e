# Two commands matter: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
SHOP := $(BIN)/shop
PYTHON ?= python3
# Downloads are cached under the ignored stack folder so a second run is quick.
export PIP_CACHE_DIR := $(CURDIR)/.stack/cache/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install up down status run stop test lint bench clean

help:
	@echo "make run    install, start the stack and the platform with demo data"
	@echo "make test   install, start the stack, run linters and the whole test suite"
	@echo "make bench  run the benchmarks (results in bench/results/)"
	@echo "make down   stop the platform and the stack (data stays in .stack/)"

$(BIN)/.installed: pyproject.toml
	@mkdir -p .stack/cache/pip
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

install: $(BIN)/.installed

up: install
	$(SHOP) stack up

status: install
	$(SHOP) stack status

run: up
	$(SHOP) platform up --demo-data

stop: install
	$(SHOP) platform down

down: install
	-$(SHOP) platform down
	$(SHOP) stack down

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: up lint
	$(BIN)/pytest

bench: up
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python -m bench

clean: down
	rm -rf .stack $(VENV)
