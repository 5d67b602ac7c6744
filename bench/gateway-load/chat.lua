-- wrk script for bench/gateway-load.sh: one OpenAI chat completion request per call.
--   GL_STREAM=1      ask for SSE ("stream": true, include_usage)
--   GL_CACHE=bypass  send Cache-Control: no-store (the response cache neither answers nor stores)
--   GL_CACHE=hit     no Cache-Control: after the first call the response cache answers
--   GL_AUTH=KEY      send Authorization: Bearer KEY
local stream = os.getenv("GL_STREAM") == "1"
local cache = os.getenv("GL_CACHE") or "bypass"
local auth = os.getenv("GL_AUTH") or ""
local model = os.getenv("GL_MODEL") or "stub-model"

local body = '{"model":"' .. model .. '","messages":[{"role":"system","content":"You are terse."},' ..
  '{"role":"user","content":"Say something about foxes."}],"temperature":0,"max_tokens":64'
if stream then
  body = body .. ',"stream":true,"stream_options":{"include_usage":true}'
end
body = body .. '}'

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
if cache == "bypass" then
  wrk.headers["Cache-Control"] = "no-store"
end
if auth ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. auth
end

local errors = 0
response = function(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    if errors <= 3 then io.stderr:write("status " .. status .. ": " .. string.sub(body or "", 1, 300) .. "\n") end
  end
end
