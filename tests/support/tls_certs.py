"""A throwaway certificate authority for the TLS e2e tests, made with the `openssl` CLI: a CA and
a server certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1) signed by it, valid two days."""
import os
import shutil
import ssl
import subprocess


class TestCertificates:
    def __init__(self, directory):
        if shutil.which("openssl") is None:
            raise RuntimeError("the openssl CLI is needed to make test certificates")
        self.ca_file = os.path.join(directory, "ca.pem")
        self.cert_file = os.path.join(directory, "server.pem")
        self.key_file = os.path.join(directory, "server.key")
        ca_key = os.path.join(directory, "ca.key")
        csr = os.path.join(directory, "server.csr")
        ext = os.path.join(directory, "server.ext")
        with open(ext, "w", encoding="ascii") as f:
            f.write("subjectAltName = IP:127.0.0.1\nbasicConstraints = critical, CA:FALSE\n"
                    "keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        self._run("req", "-x509", *ec, "-keyout", ca_key, "-out", self.ca_file, "-days", "2",
                  "-subj", "/CN=cogsync e2e test CA",
                  "-addext", "basicConstraints = critical, CA:TRUE",
                  "-addext", "keyUsage = critical, keyCertSign, cRLSign")
        self._run("req", *ec, "-keyout", self.key_file, "-out", csr, "-subj", "/CN=cogsync e2e server")
        self._run("x509", "-req", "-in", csr, "-CA", self.ca_file, "-CAkey", ca_key, "-CAcreateserial",
                  "-out", self.cert_file, "-days", "2", "-extfile", ext)

    @staticmethod
    def _run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)

    def server_context(self):
        """A server-side ssl.SSLContext presenting the 127.0.0.1 certificate."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        return ctx
