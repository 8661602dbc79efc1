"""The bundled demo case service: real HTTP on 127.0.0.1 with deterministic synthetic data."""
