"""CI: a recompute job goes through the real queue (Redis) to a real worker and finishes (run with manage.py shell)."""
import sys
import time

from offices import services
from offices.compliance import store
from offices.models import Job, Township

townships = list(Township.objects.order_by("code").values_list("pk", flat=True)[:20])
job = services.recompute_in_background(townships, [2025], title="CI: queue check")
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    job.refresh_from_db()
    if job.finished:
        break
    time.sleep(1)
print(f"== queue check: job {job.state}, {job.done}/{job.total}")
if job.state != Job.State.DONE or store.differences(townships, 2025):
    sys.exit("CI: the recompute job did not finish through the queue, or left the store different from the live figures")
