// TAXII figures with generated IOCs in D1 (`BENCH_TAXII_IOCS`, 100k by default): the time to
// publish them as STIX versions (the minute job, in rounds), a taxii2-client-style walk of the
// whole `all` collection with limit/next (pages/s, objects/s, total), object-by-id lookups, and a
// TAXII 1.1 poll part. Figures only; nothing is asserted. `npm run bench -- taxii`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fireScheduled } from '../bin/scheduler'
import { startMoat } from '../tests/helpers/moat'
import { loadIocs } from './iocs'

const MEDIA = 'application/taxii+json;version=2.1'
const ALL = 'c8cc1bab-46d3-5fc7-a164-76854512b041'
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]

export async function benchTaxii() {
  const n = Number(process.env.BENCH_TAXII_IOCS ?? 100_000)
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-bench-taxii-'))
  const moat = await startMoat(dir)
  try {
    const userId = await moat.addUser('bencher', 'analyst')
    await loadIocs(moat, n, userId)
    console.log(`loaded ${n.toLocaleString('en')} IOCs`)

    // Publish with the minute job until it reports done (each run has a 45 s budget).
    const worker = await moat.rt.mf.getWorker()
    let t = performance.now()
    for (let i = 0; i < 100; i++) {
      await fireScheduled(worker as never, 'job:stix', new Date())
      const row = await moat.db.prepare(`SELECT last_result AS r FROM job_runs WHERE name = 'stix'`).first<{ r: string }>()
      if (JSON.parse(row!.r).done) break
    }
    const publishMs = performance.now() - t
    const versions = (await moat.db.prepare('SELECT count(*) AS n FROM stix_versions').first<{ n: number }>())!.n
    console.log(`publish: ${versions.toLocaleString('en')} STIX versions in ${(publishMs / 1000).toFixed(1)} s (${Math.round(versions / (publishMs / 1000)).toLocaleString('en')} versions/s)`)

    for (const limit of [1000, 10000]) {
      t = performance.now()
      let next: string | undefined
      let pages = 0
      let objects = 0
      const ids: string[] = []
      for (;;) {
        const url = `${moat.base}/taxii2/moat/collections/${ALL}/objects/?limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`
        const res = await fetch(url, { headers: { accept: MEDIA } })
        if (res.status !== 200) throw new Error(`page ${pages}: ${res.status} ${await res.text()}`)
        const body = (await res.json()) as { more: boolean; next?: string; objects?: { id: string }[] }
        pages++
        objects += body.objects?.length ?? 0
        if (ids.length < 200 && body.objects?.length) ids.push(body.objects[body.objects.length - 1].id)
        if (!body.more) break
        next = body.next
      }
      const s = (performance.now() - t) / 1000
      console.log(`walk all collection, limit=${limit}: ${pages} pages, ${objects.toLocaleString('en')} objects in ${s.toFixed(1)} s (${(pages / s).toFixed(1)} pages/s, ${Math.round(objects / s).toLocaleString('en')} objects/s)`)
      if (limit === 1000) {
        const times: number[] = []
        for (const id of ids) {
          const t0 = performance.now()
          const res = await fetch(`${moat.base}/taxii2/moat/collections/${ALL}/objects/${id}/`, { headers: { accept: MEDIA } })
          await res.arrayBuffer()
          times.push(performance.now() - t0)
        }
        console.log(`object by id: p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms (n=${times.length})`)
      }
    }

    const xml = `<taxii_11:Poll_Request xmlns:taxii_11="http://taxii.mitre.org/messages/taxii_xml_binding-1.1" message_id="1" collection_name="moat-all"><taxii_11:Poll_Parameters allow_asynch="false"><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Poll_Parameters></taxii_11:Poll_Request>`
    t = performance.now()
    const res = await fetch(`${moat.base}/taxii/poll`, {
      method: 'POST',
      headers: {
        'content-type': 'application/xml',
        'x-taxii-content-type': 'urn:taxii.mitre.org:message:xml:1.1',
        'x-taxii-protocol': 'urn:taxii.mitre.org:protocol:http:1.0',
        'x-taxii-services': 'urn:taxii.mitre.org:services:1.1',
      },
      body: xml,
    })
    const bytes = (await res.arrayBuffer()).byteLength
    console.log(`TAXII 1.1 poll, first part of moat-all (10,000 STIX 1.1.1 packages): ${(performance.now() - t).toFixed(0)} ms, ${(bytes / 1024 / 1024).toFixed(1)} MB`)
  } finally {
    await moat.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
